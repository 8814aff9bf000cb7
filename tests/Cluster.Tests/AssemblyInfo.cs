// Every test starts several server processes on a 2-core machine and measures failover timings:
// running two of them at once would measure the machine, not the cluster.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
