using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime.Serialization;
using Switchboard.Runtime.Storage;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Storage;

public sealed class PersistentStateTests(ITestOutputHelper output) : SiloFixture(output)
{
    private static readonly GrainId Owner = new("rt-owner", "owner-1");

    // ---- failure cases ----

    [Fact]
    public async Task Write_AfterAnotherActivationWrote_ThrowsInconsistentStateNamingGrainAndStateAndKeepsETag()
    {
        var storage = new InMemoryGrainStorage();
        var mine = Create<string>(storage);
        var theirs = Create<string>(storage);
        await mine.ReadStateAsync(default);
        await theirs.ReadStateAsync(default);
        theirs.State = "theirs";
        await theirs.WriteStateAsync(default);

        mine.State = "mine";
        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => mine.WriteStateAsync(default));

        Assert.Contains(Owner.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("'session'", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InconsistentStateException>(ex.InnerException);
        Assert.Null(mine.ETag);
        Assert.False(mine.RecordExists);
        await mine.ReadStateAsync(default);
        Assert.Equal("theirs", mine.State);
    }

    [Fact]
    public async Task Clear_AfterAnotherActivationWrote_ThrowsInconsistentStateAndKeepsState()
    {
        var storage = new InMemoryGrainStorage();
        var mine = Create<string>(storage);
        mine.State = "v1";
        await mine.WriteStateAsync(default);
        var theirs = Create<string>(storage);
        await theirs.ReadStateAsync(default);
        theirs.State = "v2";
        await theirs.WriteStateAsync(default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => mine.ClearStateAsync(default));

        Assert.Equal("v1", mine.State);
        Assert.True(mine.RecordExists);
        Assert.Equal(1, storage.Count);
    }

    [Fact]
    public async Task Operations_StoreDown_ThrowGrainStorageExceptionNamingGrainAndState()
    {
        var failure = new TimeoutException("connection timed out");
        var state = Create<string>(new FailingGrainStorage(failure));
        state.State = "kept";

        var read = await Assert.ThrowsAsync<GrainStorageException>(() => state.ReadStateAsync(default));
        var write = await Assert.ThrowsAsync<GrainStorageException>(() => state.WriteStateAsync(default));
        var clear = await Assert.ThrowsAsync<GrainStorageException>(() => state.ClearStateAsync(default));

        foreach (var ex in new[] { read, write, clear })
        {
            Assert.Same(failure, ex.InnerException);
            Assert.Contains(Owner.ToString(), ex.Message, StringComparison.Ordinal);
            Assert.Contains("'session'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("connection timed out", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("kept", state.State);
    }

    [Fact]
    public async Task Read_StoreCancelled_PassesCancellationThrough()
    {
        var state = Create<string>(new FailingGrainStorage(new OperationCanceledException()));

        await Assert.ThrowsAsync<OperationCanceledException>(() => state.ReadStateAsync(default));
    }

    [Fact]
    public async Task Read_CorruptOrTrailingBytes_ThrowsGrainStorageExceptionWithCodecCause()
    {
        var storage = new InMemoryGrainStorage();
        var etag = await storage.WriteAsync(Owner, "session", new byte[] { 0xFF, 0xFF, 0xFF }, null, default);
        var corrupt = Create<StoredReferences>(storage);

        var ex = await Assert.ThrowsAsync<GrainStorageException>(() => corrupt.ReadStateAsync(default));
        Assert.IsType<CodecException>(ex.InnerException);
        Assert.False(corrupt.RecordExists);

        using var writer = new CodecWriter();
        writer.Write("value");
        writer.WriteByte(42);
        await storage.WriteAsync(Owner, "session", writer.ToArray(), etag, default);
        var trailing = Create<string>(storage);
        ex = await Assert.ThrowsAsync<GrainStorageException>(() => trailing.ReadStateAsync(default));
        Assert.Contains("1 bytes left", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_ObjectInsteadOfReference_ThrowsGrainStorageException()
    {
        var state = Create<StoredReferences>(new InMemoryGrainStorage());
        state.State = new StoredReferences("bad", Grains.GetGrain<ITestGrain>("t"), new TestObserver(), []);

        var ex = await Assert.ThrowsAsync<GrainStorageException>(() => state.WriteStateAsync(default));

        Assert.Contains("Encoding", ex.Message, StringComparison.Ordinal);
        Assert.False(state.RecordExists);
    }

    // ---- normal operation ----

    [Fact]
    public async Task Read_NoRecord_ResetsToDefault()
    {
        var state = Create<string>(new InMemoryGrainStorage());
        state.State = "local";

        await state.ReadStateAsync(default);

        Assert.Null(state.State);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task RoundTrip_RecordWithGrainAndObserverReferences_ReferencesAreLiveAfterRead()
    {
        var factory = Silo.Services.GetRequiredService<IPersistentStateFactory>();
        var observer = new TestObserver();
        var writer = factory.Create<StoredReferences>(Owner, "refs");
        writer.State = new StoredReferences(
            "call", Grains.GetGrain<ITestGrain>("target"), Grains.CreateObjectReference<ITestObserver>(observer), [1, 2, 3]);
        await writer.WriteStateAsync(default);

        var reader = factory.Create<StoredReferences>(Owner, "refs");
        await reader.ReadStateAsync(default);

        var state = reader.State!;
        Assert.Equal("call", state.Name);
        Assert.Equal([1, 2, 3], state.Values);
        Assert.Equal(writer.ETag, reader.ETag);
        Assert.True(reader.RecordExists);
        Assert.Equal(1, await state.Grain.Enter(7));
        var sequence = await Grains.GetGrain<ITestGrain>("target").GetSequence();
        Assert.Equal([7], sequence);
        await state.Observer!.OnValue(5);
        Assert.Equal([5], observer.Values);
    }

    [Fact]
    public async Task Clear_ThenWrite_StartsANewRecord()
    {
        var storage = new InMemoryGrainStorage();
        var state = Create<string>(storage);
        state.State = "one";
        await state.WriteStateAsync(default);
        var first = state.ETag;

        await state.ClearStateAsync(default);

        Assert.Equal((null, null, false), (state.State, state.ETag, state.RecordExists));
        Assert.Equal(0, storage.Count);
        state.State = "two";
        await state.WriteStateAsync(default);
        Assert.NotEqual(first, state.ETag);
        Assert.Equal(1, storage.Count);
    }

    [Fact]
    public void Silo_Defaults_RegisterInMemoryStorageDirectoryAndFactory()
    {
        Assert.IsType<InMemoryGrainStorage>(Silo.Services.GetRequiredService<IGrainStorage>());
        Assert.IsType<PersistentStateFactory>(Silo.Services.GetRequiredService<IPersistentStateFactory>());
        Assert.IsType<Runtime.GrainDirectory.InMemoryGrainDirectory>(Silo.Services.GetRequiredService<Runtime.GrainDirectory.IGrainDirectory>());
    }

    [Fact]
    public async Task Silo_StorageRegisteredByHost_IsUsedByTheFactory()
    {
        var shared = new InMemoryGrainStorage();
        await using var silo = await TestSilo.StartAsync(services => services.AddSingleton<IGrainStorage>(shared));
        var state = silo.Services.GetRequiredService<IPersistentStateFactory>().Create<string>(Owner, "session");
        state.State = "x";

        await state.WriteStateAsync(default);

        Assert.Equal(state.ETag, (await shared.ReadAsync(Owner, "session", default))!.ETag);
    }

    [Fact]
    public void Create_InvalidStateName_Throws()
    {
        var factory = Silo.Services.GetRequiredService<IPersistentStateFactory>();

        Assert.Throws<ArgumentException>(() => factory.Create<string>(Owner, ""));
        Assert.Throws<ArgumentException>(() => factory.Create<string>(Owner, new string('s', 151)));
    }

    private static PersistentState<T> Create<T>(IGrainStorage storage) => new(Owner, "session", storage, SerializationContext.Default);
}
