import type { ServiceEntry } from "@hivematrix/lib/config";
import { connectionFailed } from "@hivematrix/lib/instances";
import type { Logger } from "@hivematrix/lib/log";

/** One instance of a service of several, as Nexus sees it. */
export class Instance {
  /** Requests sent to it whose response headers have not arrived yet. */
  outstanding = 0;
  requests = 0;
  ejections = 0;
  /** Taken out of the rotation (a connection failed, or its /health did): probed until it answers again. */
  out = false;
  constructor(readonly url: string) {}
}

export interface BalancerSettings {
  /** How often every instance's /health is checked while it is in. */
  checkIntervalMs: number;
  /** How often an instance that is out is probed. */
  probeIntervalMs: number;
  /** A /health answer slower than this counts as failing. */
  healthTimeoutMs: number;
  logger: Pick<Logger, "warn" | "info">;
  /** How /health is fetched (tests count or fail the probes). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

type Send = (url: string, init: RequestInit) => Promise<Response>;

/**
 * A request Nexus may send again after its connection failed: a read, or a write carrying an
 * Idempotency-Key (the app answers a repeat with the first answer). Any other write may have
 * been carried out, so it is never repeated, whatever the failure.
 */
export function safeToRepeat(method: string, idempotencyKey: string | undefined): boolean {
  return method === "GET" || method === "HEAD" || Boolean(idempotencyKey);
}

/**
 * The instances of one service: each request goes to the instance with the fewest requests
 * outstanding (ties taken in turn), leaving out those that are out. If every instance is out,
 * they are all tried anyway: a request then fails only if none answers.
 */
export class ServicePool {
  readonly instances: Instance[];
  private turn = 0;
  private timers: ReturnType<typeof setTimeout>[] = [];

  constructor(
    readonly service: ServiceEntry,
    private readonly settings: BalancerSettings,
  ) {
    this.instances = service.instanceUrls.map((url) => new Instance(url));
  }

  /** The instance the next request goes to; `not` is one that just failed it (null when no other is left). */
  pick(not: Instance | null = null): Instance | null {
    const count = this.instances.length;
    const start = this.turn++ % count;
    let best: Instance | null = null;
    for (const anyState of [false, true]) {
      for (let i = 0; i < count; i++) {
        const instance = this.instances[(start + i) % count]!;
        if (instance === not || (instance.out && !anyState)) continue;
        if (!best || instance.outstanding < best.outstanding) best = instance;
      }
      if (best) return best;
    }
    return null;
  }

  /**
   * Sends a request to `first` and, when it gets no answer and mayRetry allows (a read, or a
   * write with an Idempotency-Key), once more to another instance. An instance whose connection
   * failed is taken out. The answer comes with the instance that gave it.
   */
  async send(first: Instance, send: Send, target: string, init: RequestInit, idempotencyKey: string | undefined) {
    const method = init.method ?? "GET";
    // A write that may be repeated keeps its body, so the repeat sends the same bytes.
    if (idempotencyKey && init.body) init.body = await new Response(init.body).arrayBuffer();
    const rest = target.slice(first.url.length);
    try {
      return { res: await this.attempt(first, send, target, init), instance: first };
    } catch (error) {
      if (connectionFailed(error)) this.eject(first, (error as Error).message);
      const other = this.pick(first);
      if (!other || !connectionFailed(error) || !safeToRepeat(method, idempotencyKey)) throw error;
      return { res: await this.attempt(other, send, other.url + rest, init), instance: other };
    }
  }

  private async attempt(instance: Instance, send: Send, target: string, init: RequestInit) {
    instance.outstanding++;
    instance.requests++;
    try {
      return await send(target, init);
    } finally {
      instance.outstanding--;
    }
  }

  /** Takes an instance out and probes it until its /health answers 200. */
  eject(instance: Instance, why: string): void {
    if (instance.out) return;
    instance.out = true;
    instance.ejections++;
    this.settings.logger.warn("instance taken out of rotation", {
      target: this.service.name,
      instance: instance.url,
      reason: why,
    });
    this.later(() => this.probe(instance), this.settings.probeIntervalMs);
  }

  private async healthy(instance: Instance): Promise<string | null> {
    const fetchHealth = this.settings.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
    try {
      const res = await fetchHealth(`${instance.url}/health`, {
        signal: AbortSignal.timeout(this.settings.healthTimeoutMs),
      });
      await res.body?.cancel();
      return res.status === 200 ? null : `/health answered ${res.status}`;
    } catch (e) {
      return `/health failed: ${(e as Error).message}`;
    }
  }

  private async probe(instance: Instance): Promise<void> {
    if (!instance.out) return;
    if ((await this.healthy(instance)) !== null) {
      this.later(() => this.probe(instance), this.settings.probeIntervalMs);
      return;
    }
    instance.out = false;
    this.settings.logger.info("instance back in rotation", { target: this.service.name, instance: instance.url });
  }

  /** Checks every instance that is in; one whose /health fails is taken out. */
  async check(): Promise<void> {
    await Promise.all(
      this.instances.map(async (instance) => {
        if (instance.out) return;
        const failure = await this.healthy(instance);
        if (failure !== null) this.eject(instance, failure);
      }),
    );
  }

  startChecks(): void {
    const loop = () =>
      this.later(async () => {
        await this.check();
        loop();
      }, this.settings.checkIntervalMs);
    loop();
  }

  private later(run: () => unknown, ms: number): void {
    const timer = setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      void run();
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}

/**
 * Nexus's pools, one per service of several instances, each checked from the start (a service of
 * one instance has none: the forwarder sends straight to its URL).
 */
export function createBalancer(services: Iterable<ServiceEntry>, settings: BalancerSettings) {
  const pools = new Map<string, ServicePool>();
  for (const service of services) {
    if (service.instanceUrls.length < 2) continue;
    const pool = new ServicePool(service, settings);
    pools.set(service.name, pool);
    pool.startChecks();
  }
  return {
    /** The pool of a service of several instances; undefined for one of a single instance. */
    poolOf: (service: ServiceEntry): ServicePool | undefined => pools.get(service.name),
    pools: () => pools.values(),
    stop() {
      for (const pool of pools.values()) pool.stop();
    },
  };
}

export type Balancer = ReturnType<typeof createBalancer>;
