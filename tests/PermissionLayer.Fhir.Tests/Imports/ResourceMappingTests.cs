using PermissionLayer.Core.Imports;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Imports;

public sealed class ResourceMappingTests
{
    private readonly FhirImportReader _reader = new();

    [Fact]
    public void Group_maps_members_with_periods_inactive_flag_and_meta()
    {
        var group = Assert.IsType<ImportedGroup>(Assert.Single(_reader.ReadJson(Fixture.Text("group-members.json"))));

        Assert.Equal("ward-4b", group.GroupId);
        Assert.Equal("Group/ward-4b", group.Resource.ToString());
        Assert.Equal("7", group.VersionId);
        Assert.Equal(new DateTimeOffset(2024, 5, 2, 9, 30, 0, TimeSpan.Zero), group.LastUpdated);
        Assert.True(group.Active);
        Assert.Equal(["pat1", "pat2", "pat3", "pat4"], group.Members.Select(member => member.PatientId));
        // Dates in an entitling period are read as UTC (README, "Import").
        Assert.Equal(new ImportedMember("pat1", Utc(2014, 10, 8), null, false), group.Members[0]);
        Assert.True(group.Members[1].Inactive);
        // "end": "2016-03" includes all of March, so the exclusive end is the first of April.
        Assert.Equal(new ImportedMember("pat3", Utc(2015, 8, 6), Utc(2016, 4, 1), false), group.Members[2]);
        Assert.Equal(new ImportedMember("pat4", null, null, false), group.Members[3]);
    }

    [Fact]
    public void Group_without_members_maps_to_an_empty_membership()
    {
        var group = Assert.IsType<ImportedGroup>(Assert.Single(_reader.ReadJson(Fixture.Text("group-herd.json"))));

        Assert.Empty(group.Members);
        Assert.Null(group.VersionId);
        Assert.Null(group.LastUpdated);
    }

    [Fact]
    public void CareTeam_maps_subject_status_period_and_identified_participants()
    {
        var team = Assert.IsType<ImportedCareTeam>(Assert.Single(_reader.ReadJson(Fixture.Text("careteam.json"))));

        Assert.Equal("diabetes-team", team.CareTeamId);
        Assert.Equal("example", team.SubjectPatientId);
        Assert.Equal(CareTeamStatus.Active, team.Status);
        Assert.Equal(Utc(2023, 1, 1), team.PeriodStart);
        Assert.Equal(Utc(2026, 1, 1), team.PeriodEnd);
        Assert.Equal("2", team.VersionId);
        Assert.Equal(new DateTimeOffset(2024, 3, 15, 13, 0, 0, TimeSpan.Zero), team.LastUpdated);
        // The contained dietitian has no identity here and is left out.
        Assert.Equal(["Patient/example", "Practitioner/endo1", "PractitionerRole/nurse-role"], team.ParticipantReferences);
        Assert.Equal(new ImportedParticipant("Practitioner/endo1", Utc(2023, 2, 1), Utc(2024, 7, 1)), team.Participants[1]);
    }

    [Fact]
    public void List_maps_to_the_source_practitioners_panel_without_deleted_entries()
    {
        var panel = Assert.IsType<ImportedPanel>(Assert.Single(_reader.ReadJson(Fixture.Text("list-panel.json"))));

        Assert.Equal("panel-dr-smith", panel.ListId);
        Assert.Equal("Practitioner/smith", panel.OwnerPrincipal);
        Assert.Equal(PanelStatus.Current, panel.Status);
        Assert.Equal(PanelMode.Changes, panel.Mode);
        Assert.Equal(["pat1", "pat2"], panel.PatientIds);
        Assert.Equal("12", panel.VersionId);
    }

    [Fact]
    public void PractitionerRole_maps_practitioner_organization_active_and_period()
    {
        var role = Assert.IsType<ImportedPractitionerRole>(Assert.Single(_reader.ReadJson(Fixture.Text("practitionerrole.json"))));

        Assert.Equal(
            new ImportedPractitionerRole(
                "example", "1", new DateTimeOffset(2024, 1, 10, 12, 0, 0, TimeSpan.Zero),
                "Practitioner/example", "Organization/f001", true, Utc(2012, 1, 1), Utc(2012, 4, 1)),
            role);
    }

    [Fact]
    public void Consent_is_passed_through_verbatim()
    {
        var json = Fixture.Text("consent.json");

        var consent = Assert.IsType<ImportedConsentJson>(Assert.Single(_reader.ReadJson(json)));

        Assert.Equal("consent-pat1", consent.ConsentId);
        Assert.Equal(json.Trim(), consent.Json);
        Assert.Equal("4", consent.VersionId);
    }

    [Fact]
    public void Leading_byte_order_mark_is_ignored()
    {
        var json = "\uFEFF" + Fixture.Text("consent.json");

        var consent = Assert.IsType<ImportedConsentJson>(Assert.Single(_reader.ReadJson(json)));

        Assert.StartsWith("{", consent.Json, StringComparison.Ordinal);
    }

    private static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);
}
