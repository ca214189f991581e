namespace PermissionLayer.Core.Requests;

/// <summary>
/// Quotes caller input in messages: at most a short prefix, so that an error about a huge value does
/// not itself become huge (a gRPC status message travels in a header).
/// </summary>
public static class Quote
{
    public const int MaxLength = 64;

    public static string Short(string value) =>
        value.Length <= MaxLength ? value : $"{value[..MaxLength]}… ({value.Length} characters)";
}
