/**
 * The sweeper's metric names, namespace and service (a metric dimension), in a module of their own
 * so `infra/` declares its alarm on exactly what the sweeper publishes without loading the sweeper.
 */
export const SweeperMetric = {
  /** Seconds from the oldest due duty not yet fired to now (0 when caught up); alarmed in `infra/`. */
  lag: 'SweepLag',
  /** Duties fired by one run. */
  fired: 'DutiesFired',
} as const

export const SWEEPER_METRICS = { namespace: 'Pendamping', serviceName: 'sweeper' } as const
