import type { PermissionLevel } from "@hivematrix/lib/config";

/** What a page offers a person, by level (the routes' access rules decide what they may do). */
type Viewer = { level: PermissionLevel };

export const canWriteData = (viewer: Viewer) => viewer.level === "admin" || viewer.level === "technician";
export const canBill = (viewer: Viewer) => viewer.level === "admin" || viewer.level === "billing";
export const isStaff = (viewer: Viewer) => viewer.level !== "client";
