using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Entitlements;

public sealed class ActionLettersTests
{
    [Theory]
    [InlineData("c", DataActions.Create)]
    [InlineData("rs", DataActions.Read | DataActions.Search)]
    [InlineData("cruds", DataActions.All)]
    [InlineData("cud", DataActions.Create | DataActions.Update | DataActions.Delete)]
    public void Parses_in_order_subsets(string letters, DataActions expected)
    {
        Assert.True(ActionLetters.TryParse(letters, out var actions));
        Assert.Equal(expected, actions);
        Assert.Equal(letters, actions.ToLetters());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sr")]
    [InlineData("rsc")]
    [InlineData("rrs")]
    [InlineData("RS")]
    [InlineData("dus")]
    [InlineData("x")]
    [InlineData("crudss")]
    public void Rejects_anything_else(string letters)
    {
        Assert.False(ActionLetters.TryParse(letters, out var actions));
        Assert.Equal(DataActions.None, actions);
    }

    [Theory]
    [InlineData(Interaction.Update, false, DataActions.Update)]
    [InlineData(Interaction.Update, true, DataActions.Update | DataActions.Search)]
    [InlineData(Interaction.Delete, true, DataActions.Delete | DataActions.Search)]
    [InlineData(Interaction.HistoryType, false, DataActions.Search)]
    [InlineData(Interaction.VRead, false, DataActions.Read)]
    public void Conditional_writes_need_search_too(Interaction interaction, bool conditional, DataActions expected) =>
        Assert.Equal(expected, ActionLetters.Required(interaction, conditional));
}
