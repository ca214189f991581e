using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// Actions cross grains as <see cref="DataActions"/>: a question sent to a principal's grain on another
/// silo must arrive with exactly the actions it was asked with (a lost flag would widen or narrow it).
/// </summary>
public sealed class GrainMessageSerializationTests
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSerializer(b => b.AddAssembly(typeof(AccessQuestion).Assembly))
        .BuildServiceProvider();

    [Theory]
    [InlineData(DataActions.Read)]
    [InlineData(DataActions.Read | DataActions.Search)]
    [InlineData(DataActions.Create | DataActions.Update | DataActions.Delete)]
    [InlineData(DataActions.All)]
    public void An_access_question_keeps_its_actions_over_the_wire_and_when_copied(DataActions actions)
    {
        var question = new AccessQuestion(["a", "b"], actions, "Observation", "TREAT", DateTimeOffset.UnixEpoch, WithProfile: true);
        var serializer = Services.GetRequiredService<Serializer>();

        var received = serializer.Deserialize<AccessQuestion>(serializer.SerializeToArray(question))!;
        var copied = Services.GetRequiredService<DeepCopier>().Copy(question)!;

        Assert.Equal(actions, received.Actions);
        Assert.Equal(question.Patients, received.Patients);
        Assert.Equal(actions, copied.Actions);
    }

    [Fact]
    public void Actions_alone_cross_as_a_grain_method_argument()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var actions = DataActions.Read | DataActions.Search;
        Assert.Equal(actions, serializer.Deserialize<DataActions>(serializer.SerializeToArray(actions)));
    }
}
