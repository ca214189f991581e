using System.Globalization;
using System.Text;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Text as PostgreSQL will store it. A <c>text</c> value cannot hold a NUL byte, and Npgsql refuses
/// to encode a lone UTF-16 surrogate; either would make the whole COPY fail. These rules tell such
/// text apart and encode it: readably for the column, losslessly for <see cref="Core.Audit.AuditedDecision.OriginalValues"/>.
/// </summary>
public static class AuditText
{
    /// <summary>True when PostgreSQL accepts <paramref name="value"/> as it is.</summary>
    public static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// <paramref name="value"/> with each NUL and lone surrogate written as <c>\uXXXX</c>: storable and
    /// readable. Not reversible on its own (the text may contain <c>\u</c> itself): the exact value
    /// is kept by <see cref="JsonString"/>.
    /// </summary>
    public static string Readable(string value)
    {
        if (IsStorable(value))
        {
            return value;
        }
        var text = new StringBuilder(value.Length + 16);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (c == '\0' || char.IsSurrogate(c))
            {
                AppendEscape(text, c);
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// A JSON string literal of <paramref name="value"/> that loses nothing: quote, backslash, every
    /// control character and every surrogate (paired or not) escaped as <c>\uXXXX</c>, so the literal
    /// itself is always storable and any JSON reader gets the exact UTF-16 back.
    /// </summary>
    public static string JsonString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\' || c < ' ' || c == '\u007f' || char.IsSurrogate(c))
            {
                AppendEscape(text, c);
            }
            else
            {
                text.Append(c);
            }
        }
        return text.Append('"').ToString();
    }

    private static void AppendEscape(StringBuilder text, char c) =>
        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
