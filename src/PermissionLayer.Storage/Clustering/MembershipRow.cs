using System.Globalization;
using System.Net;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace PermissionLayer.Storage.Clustering;

/// <summary>Converts between a <c>cluster_members</c> row and Orleans' <see cref="MembershipEntry"/>.</summary>
internal static class MembershipRow
{
    public static MembershipEntry ToEntry(NpgsqlDataReader reader) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2)),
        SiloName = reader.GetString(3),
        HostName = reader.GetString(4),
        Status = (SiloStatus)reader.GetInt32(5),
        ProxyPort = reader.GetInt32(6),
        SuspectTimes = ParseSuspectTimes(reader.GetString(7)),
        StartTime = DateTime.SpecifyKind(reader.GetDateTime(8), DateTimeKind.Utc),
        IAmAliveTime = DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc),
    };

    /// <summary>
    /// Suspicions as <c>silo@ticks|silo@ticks</c>: silo addresses in Orleans' parsable form and UTC
    /// ticks, so the text round-trips exactly whatever the server's locale.
    /// </summary>
    public static string FormatSuspectTimes(List<Tuple<SiloAddress, DateTime>>? suspects) =>
        suspects is null ? "" : string.Join('|', suspects.Select(s =>
            $"{s.Item1.ToParsableString()}@{s.Item2.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}"));

    public static List<Tuple<SiloAddress, DateTime>> ParseSuspectTimes(string text) =>
        text.Length == 0
            ? []
            : [.. text.Split('|').Select(item =>
            {
                var at = item.LastIndexOf('@');
                return Tuple.Create(SiloAddress.FromParsableString(item[..at]),
                    new DateTime(long.Parse(item[(at + 1)..], CultureInfo.InvariantCulture), DateTimeKind.Utc));
            })];
}
