import rootPackage from "../../package.json" with { type: "json" };

/** The platform's version (the root package.json's), reported by every app's /health and API document. */
export const VERSION: string = rootPackage.version;
