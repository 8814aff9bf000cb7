namespace Switchboard.Runtime.Tests.CodeGeneration;

[GenerateSerializer]
public sealed record Payload(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<int> Values,
    [property: Id(2)] string? Note);

[GenerateSerializer]
public sealed class MutableBag
{
    [Id(1)]
    public int Count { get; set; }

    [Id(0)]
    public string Label { get; init; } = string.Empty;
}

public interface IEchoObserver : IGrainObserver
{
    [OneWay]
    Task Heard(string text);
}

public interface IBaseGrain : IGrainWithStringKey
{
    Task<string> Base();
}

[GrainType("custom-name")]
public interface INamedGrain : IGrainWithStringKey
{
    Task Ping();
}

public interface IGeneratedTestGrain : IBaseGrain
{
    Task Void(int value);

    Task<Payload> Echo(Payload payload);

    ValueTask ValueVoid();

    ValueTask<long> ValueSum(IReadOnlyList<long> values);

    [OneWay]
    Task Fire(string text);

    [AlwaysInterleave]
    Task<int> Query();

    [ReadOnly]
    Task<MutableBag> Bag(MutableBag bag);

    Task<string> Subscribe(IEchoObserver observer);
}
