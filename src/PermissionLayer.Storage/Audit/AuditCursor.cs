using System.Globalization;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// A position in a time-ordered result: the (time, id) of the last row seen, as an opaque string.
/// Keyset rather than offset, so resuming deep in tens of millions of rows costs an index seek.
/// </summary>
public sealed record AuditCursor(DateTimeOffset Time, Guid Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Time.UtcTicks}.{Id:N}");

    /// <summary>Null for an empty cursor; a <see cref="FormatException"/> for a malformed one.</summary>
    public static AuditCursor? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var parts = text.Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            throw new FormatException($"'{text}' is not a cursor returned by this service");
        }
        return new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
    }
}
