namespace PermissionLayer.Core.Requests;

/// <summary>
/// A FHIR token value: <c>system|code</c>, or a bare <c>code</c> whose system is unknown.
/// As a search criterion, a bare code matches any system; <c>system|</c> matches any code in that system.
/// </summary>
public readonly record struct Token(string? System, string Code)
{
    /// <summary>Parses <c>system|code</c>, <c>|code</c> (explicitly no system) or <c>code</c>.</summary>
    public static Token Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bar = value.IndexOf('|');
        return bar < 0 ? new Token(null, value) : new Token(value[..bar], value[(bar + 1)..]);
    }

    /// <summary>Whether a data value (this) satisfies a search criterion.</summary>
    public bool Satisfies(Token criterion)
    {
        if (criterion.System is not null && !string.Equals(criterion.System, System ?? "", StringComparison.Ordinal))
        {
            return false;
        }
        return criterion.Code.Length == 0 || string.Equals(criterion.Code, Code, StringComparison.Ordinal);
    }

    public override string ToString() => System is null ? Code : $"{System}|{Code}";
}
