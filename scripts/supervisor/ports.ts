/** True when nothing listens on host:port (so a unit may bind it). */
export function portIsFree(host: string, port: number): boolean {
  try {
    const probe = Bun.listen({ hostname: host, port, socket: { data() {} } });
    probe.stop(true);
    return true;
  } catch {
    return false;
  }
}
