/** Files sent to upload routes (README "Inside an app"): the route table receives them, apps keep them. */
export { discardUpload, temporaryPath } from "./files.ts";
export {
  FORM_ALLOWANCE,
  megabytes,
  type ReceivedFile,
  type ReceivedUpload,
  requestCap,
  type UploadRule,
  UploadRoutes,
} from "./rules.ts";
