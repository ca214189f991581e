using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Entitlements;

/// <summary>Converts between <see cref="DataActions"/> and the <c>cruds</c> letters, in order.</summary>
public static class ActionLetters
{
    private const string Order = "cruds";

    /// <summary>
    /// Parses a non-empty, in-order subset of <c>cruds</c> (e.g. <c>rs</c>). Returns false for anything
    /// else, including repeated, upper-case or out-of-order letters.
    /// </summary>
    public static bool TryParse(string? letters, out DataActions actions)
    {
        actions = DataActions.None;
        if (string.IsNullOrEmpty(letters) || letters.Length > Order.Length)
        {
            return false;
        }
        var position = 0;
        foreach (var letter in letters)
        {
            var index = Order.IndexOf(letter, position);
            if (index < 0)
            {
                actions = DataActions.None;
                return false;
            }
            actions |= (DataActions)(1 << index);
            position = index + 1;
        }
        return true;
    }

    public static string ToLetters(this DataActions actions)
    {
        Span<char> buffer = stackalloc char[Order.Length];
        var length = 0;
        for (var i = 0; i < Order.Length; i++)
        {
            if ((actions & (DataActions)(1 << i)) != 0)
            {
                buffer[length++] = Order[i];
            }
        }
        return new string(buffer[..length]);
    }

    /// <summary>
    /// The letters an interaction needs. Conditional create/update/patch/delete also need <c>s</c>,
    /// because the server runs a search to find the target.
    /// </summary>
    public static DataActions Required(Interaction interaction, bool conditional = false)
    {
        var letter = interaction switch
        {
            Interaction.Create => DataActions.Create,
            Interaction.Read or Interaction.VRead or Interaction.HistoryInstance => DataActions.Read,
            Interaction.Update or Interaction.Patch => DataActions.Update,
            Interaction.Delete => DataActions.Delete,
            Interaction.SearchType or Interaction.SearchSystem or Interaction.HistoryType or Interaction.HistorySystem => DataActions.Search,
            Interaction.Operation => DataActions.Read,
            _ => throw new ArgumentOutOfRangeException(nameof(interaction), interaction, "Unknown interaction."),
        };
        return conditional && letter is not DataActions.Search ? letter | DataActions.Search : letter;
    }
}
