export {
  freePort,
  tempHome,
  writeServicesFile,
  startProcess,
  type RegistryEntry,
  type RunningProcess,
} from "./processes.ts";
export { CookieJar, follow, submitLogin } from "./cookie-jar.ts";
export { startPlatform, type PlatformOptions, type TestPlatform } from "./platform.ts";
export { withPostgres, postgresTestUrl } from "./postgres.ts";
export { assertClassesDefined, undefinedClasses, findUndefinedSourceClasses } from "./design-system.ts";
export { testIdentity, CALLERS, type Caller, type TestIdentity, type TokenOptions } from "./identity.ts";
export { openApiProblems, undocumentedOperations } from "./openapi.ts";
export { admits, matrixRoutes, permissionMismatches, type MatrixRoute } from "./permission-matrix.ts";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
