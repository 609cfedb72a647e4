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
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
