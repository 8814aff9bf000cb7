namespace Switchboard.Bench.LoadGen;

/// <summary>One process's share of an idle measurement: VmRSS before and after the idle calls were opened, kB.</summary>
internal sealed record ProcessMemory(string Role, long RssBeforeKb, long RssAfterKb);
