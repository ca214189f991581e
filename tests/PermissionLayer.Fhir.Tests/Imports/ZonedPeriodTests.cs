using PermissionLayer.Core.Imports;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Imports;

/// <summary>
/// Periods given as dateTimes with a time zone other than UTC (+01:00) are read as the same instant in
/// UTC. PostgreSQL's timestamptz through Npgsql takes only UTC offsets: a care team or practitioner
/// role whose period kept +01:00 failed the whole import with INTERNAL (found by the issue 15 data set).
/// </summary>
public sealed class ZonedPeriodTests
{
    private readonly FhirImportReader _reader = new();

    [Fact]
    public void A_care_teams_zoned_periods_are_read_as_utc_instants()
    {
        var team = Assert.IsType<ImportedCareTeam>(Assert.Single(_reader.ReadJson("""
            {"resourceType":"CareTeam","id":"ct1","status":"active","subject":{"reference":"Patient/p1"},
             "period":{"start":"2024-03-01T09:00:00+01:00","end":"2031-01-01T00:00:00-05:00"},
             "participant":[{"member":{"reference":"Practitioner/dr1"},"period":{"start":"2025-01-01T00:00:00+05:30","end":"2030-06-01T12:00:00+01:00"}}]}
            """)));

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero), team.PeriodStart);
        Assert.Equal(TimeSpan.Zero, team.PeriodStart!.Value.Offset);
        Assert.Equal(TimeSpan.Zero, team.PeriodEnd!.Value.Offset);
        var participant = Assert.Single(team.Participants);
        Assert.Equal(TimeSpan.Zero, participant.PeriodStart!.Value.Offset);
        // The end is inclusive at its precision (a second), so the exclusive end is the next second.
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 11, 0, 1, TimeSpan.Zero), participant.PeriodEnd);
        Assert.Equal(TimeSpan.Zero, participant.PeriodEnd!.Value.Offset);
    }

    [Fact]
    public void A_practitioner_roles_zoned_period_is_read_as_utc_instants()
    {
        var role = Assert.IsType<ImportedPractitionerRole>(Assert.Single(_reader.ReadJson("""
            {"resourceType":"PractitionerRole","id":"r1","practitioner":{"reference":"Practitioner/dr1"},
             "organization":{"reference":"Organization/o1"},"period":{"start":"2015-01-01T00:00:00+01:00"}}
            """)));

        Assert.Equal(new DateTimeOffset(2014, 12, 31, 23, 0, 0, TimeSpan.Zero), role.PeriodStart);
        Assert.Equal(TimeSpan.Zero, role.PeriodStart!.Value.Offset);
    }
}
