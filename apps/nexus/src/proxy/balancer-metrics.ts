import type { Registry } from "prom-client";
import type { Balancer, Instance, ServicePool } from "./balancer.ts";
import { type MetricValue, scraped } from "./upstream-metrics.ts";

function perInstance(balancer: Balancer, value: (instance: Instance) => number): MetricValue[] {
  const values: MetricValue[] = [];
  for (const pool of balancer.pools() as Iterable<ServicePool>)
    for (const instance of pool.instances)
      values.push({ labels: { target: pool.service.name, instance: instance.url }, value: value(instance) });
  return values;
}

/** The balancer's counts per instance, read when /metrics is (services of several instances only). */
export function registerBalancerMetrics(registry: Registry, balancer: Balancer): void {
  registry.registerMetric(
    scraped(
      "nexus_upstream_instance_requests_total",
      "Requests sent to each instance of a service of several, retries included.",
      "counter",
      () => perInstance(balancer, (instance) => instance.requests),
    ) as never,
  );
  registry.registerMetric(
    scraped(
      "nexus_upstream_instance_ejections_total",
      "Times an instance was taken out of rotation (a connection failed, or its /health did).",
      "counter",
      () => perInstance(balancer, (instance) => instance.ejections),
    ) as never,
  );
  registry.registerMetric(
    scraped(
      "nexus_upstream_instance_up",
      "1 while an instance is in rotation, 0 while it is out and being probed.",
      "gauge",
      () => perInstance(balancer, (instance) => (instance.out ? 0 : 1)),
    ) as never,
  );
}
