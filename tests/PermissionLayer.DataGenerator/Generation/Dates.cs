using System.Globalization;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// Fixed instants, as FHIR dateTimes with a time zone (a date-only bound is read in every time zone
/// and narrows entitling periods by 14 hours each side). The data set does not depend on the day it
/// is generated: "past" is 2019–2025, "recent past" 2025, "future" 2030–2032, so every answer it
/// implies holds from 2026 to 2029.
/// </summary>
public static class Dates
{
    private static readonly string[] Zones = ["Z", "+01:00", "-05:00", "+05:30"];

    public static string Past(SeededRandom random) => At(new DateTime(2019, 1, 1), 7 * 365, random);
    public static string LongPast(SeededRandom random) => At(new DateTime(2015, 1, 1), 4 * 365, random);
    public static string RecentPast(SeededRandom random) => At(new DateTime(2025, 1, 1), 300, random);
    public static string Future(SeededRandom random) => At(new DateTime(2030, 1, 1), 2 * 365, random);

    private static string At(DateTime from, int days, SeededRandom random)
    {
        var day = from.AddDays(random.Next(days)).AddMinutes(random.Next(24 * 60));
        var zone = Zones[random.Next(Zones.Length)];
        return day.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + zone;
    }
}
