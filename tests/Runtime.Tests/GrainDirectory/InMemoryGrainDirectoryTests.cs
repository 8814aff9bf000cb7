using Switchboard.Runtime.GrainDirectory;

namespace Switchboard.Runtime.Tests.GrainDirectory;

public sealed class InMemoryGrainDirectoryTests : GrainDirectoryContractTests
{
    protected override Task<IGrainDirectory> CreateDirectoryAsync() => Task.FromResult<IGrainDirectory>(new InMemoryGrainDirectory());

    [Fact]
    public async Task Count_TracksEntries()
    {
        var directory = (InMemoryGrainDirectory)Directory;
        var address = new GrainAddress(Grain, SiloA, "a1");
        await directory.RegisterAsync(address, null, default);
        Assert.Equal(1, directory.Count);

        await directory.UnregisterAsync(address, default);

        Assert.Equal(0, directory.Count);
    }
}
