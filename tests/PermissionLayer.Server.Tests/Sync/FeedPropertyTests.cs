using CsCheck;
using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;
using PermissionLayer.Testing.Time;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>
/// The feed's promise as a property, on a real server and PostgreSQL: for random sequences of admin
/// changes (grants with and without an end, revocations, group members with periods, care teams,
/// consents put and withdrawn) and decision-clock moves, every open feed, applied as a device applies
/// it, holds after each step exactly what StreamAccessiblePatients answers at that revision and
/// instant. Bounded: a few sequences of a few steps, each on its own ids (CI time stays ~30 s).
/// </summary>
public sealed class FeedPropertyTests : IAsyncLifetime
{
    private const int Users = 3;
    private const int Patients = 6;
    private const int Groups = 2;
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(1);
    private readonly ManualClock _clock = new(Start);
    private ServerHost _host = null!;
    private AdminService.AdminServiceClient _admin = null!;
    private DecisionService.DecisionServiceClient _decisions = null!;
    private int _runs;

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("syncprop"),
            new Dictionary<string, string?> { ["PermissionLayer:Sync:TickMilliseconds"] = "50", ["PermissionLayer:Sync:HeartbeatMilliseconds"] = "100" },
            decisionTime: _clock);
        _admin = new(_host.Channel);
        _decisions = new(_host.Channel);
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    /// <summary>One admin step: what to do, to whom (user, patient, set) and whether it has an end (hours from now, 0: none).</summary>
    private sealed record Step(int Kind, int User, int Patient, int Set, int EndsInHours)
    {
        public override string ToString() => $"{Kind}/u{User}/p{Patient}/s{Set}/{EndsInHours}h";
    }

    private static readonly Gen<Step> StepGen =
        Gen.Select(Gen.Int[0, 8], Gen.Int[0, Users - 1], Gen.Int[0, Patients - 1], Gen.Int[0, Groups - 1], Gen.Int[0, 3])
            .Select((kind, user, patient, set, ends) => new Step(kind, user, patient, set, ends));

    private static TokenContext Token(string user) => new() { ClientId = Requests.TrustedClient, FhirUser = user, Scope = "user/Patient.rs" };

    private async Task<HashSet<string>> StreamAsync(string user)
    {
        var patients = new HashSet<string>();
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = Token(user), ResourceType = "Patient" });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.False(call.ResponseStream.Current.AllPatients);
            patients.UnionWith(call.ResponseStream.Current.PatientIds);
        }
        return patients;
    }

    private Timestamp? EndOf(Step step) => step.EndsInHours == 0 ? null : Timestamp.FromDateTimeOffset(_clock.GetUtcNow().AddHours(step.EndsInHours).AddMinutes(-30));

    private static string Consent(string id, string patient, Timestamp? end)
    {
        var period = end is null ? "" : $",\"period\":{{\"end\":\"{end.ToDateTimeOffset():O}\"}}";
        return "{\"resourceType\":\"Consent\",\"id\":\"" + id + "\",\"status\":\"active\","
            + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
            + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],"
            + "\"patient\":{\"reference\":\"Patient/" + patient + "\"},"
            + "\"policyRule\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"OPTOUT\"}]},"
            + "\"provision\":{\"type\":\"deny\"" + period + "}}";
    }

    [Fact]
    public async Task Every_open_feed_equals_the_stream_after_each_admin_change_and_clock_move()
    {
        await StepGen.List[6, 9].SampleAsync(RunAsync, iter: 4, threads: 1);
    }

    private async Task RunAsync(List<Step> steps)
    {
        var run = Interlocked.Increment(ref _runs);
        string User(int i) => $"Practitioner/prop{run}-u{i}";
        string Patient(int i) => $"prop{run}-p{i}";
        string Set(int i) => $"prop{run}-g{i}";
        var grants = new List<(string Id, string Principal)>();
        long revision = 0;
        var devices = Enumerable.Range(0, Users).Select(i => new FeedDevice(_decisions,
            new WatchAccessiblePatientsRequest { Token = Token(User(i)), ResourceType = "Patient" })).ToList();
        try
        {
            for (var index = 0; index < steps.Count; index++)
            {
                var step = steps[index];
                switch (step.Kind)
                {
                    case 0:
                        var toPatient = Requests.Grant(User(step.User), $"Patient/{Patient(step.Patient)}");
                        toPatient.Grant.ValidUntil = EndOf(step);
                        var created = await _admin.CreateGrantAsync(toPatient);
                        grants.Add((created.Grant.Id, User(step.User)));
                        revision = created.Revision;
                        break;
                    case 1:
                        var toSet = await _admin.CreateGrantAsync(Requests.Grant(User(step.User), $"Group/{Set(step.Set)}"));
                        grants.Add((toSet.Grant.Id, User(step.User)));
                        revision = toSet.Revision;
                        break;
                    case 2 when grants.Count > 0:
                        var (id, principal) = grants[step.Patient % grants.Count];
                        grants.Remove((id, principal));
                        revision = (await _admin.RevokeGrantAsync(new RevokeGrantRequest { GrantId = id, Principal = principal, Reason = "rota" })).Revision;
                        break;
                    case 3:
                        var join = new ChangeGroupMembersRequest { GroupId = Set(step.Set), Reason = "rota" };
                        join.Upsert.Add(new GroupMember { PatientId = Patient(step.Patient), PeriodEnd = EndOf(step) });
                        revision = (await _admin.ChangeGroupMembersAsync(join)).Revision;
                        break;
                    case 4:
                        var leave = new ChangeGroupMembersRequest { GroupId = Set(step.Set), Reason = "rota" };
                        leave.Remove.Add(Patient(step.Patient));
                        revision = (await _admin.ChangeGroupMembersAsync(leave)).Revision;
                        break;
                    case 5:
                        var team = new PutCareTeamRequest
                        {
                            CareTeamId = $"prop{run}-t{step.Patient}", SubjectPatientId = Patient(step.Patient), Status = "active", Reason = "admitted",
                        };
                        team.ParticipantPeriods.Add(new CareTeamParticipant { Member = User(step.User), PeriodEnd = EndOf(step) });
                        revision = (await _admin.PutCareTeamAsync(team)).Revision;
                        break;
                    case 6:
                        revision = (await _admin.PutConsentAsync(new PutConsentRequest
                        {
                            ConsentId = $"prop{run}-c{step.Patient}", Reason = "signed", ConsentJson = Consent($"prop{run}-c{step.Patient}", Patient(step.Patient), EndOf(step)),
                        })).Revision;
                        break;
                    case 7:
                        try
                        {
                            revision = (await _admin.WithdrawConsentAsync(new WithdrawConsentRequest
                            {
                                ConsentId = $"prop{run}-c{step.Patient}", PatientId = Patient(step.Patient), Reason = "withdrawn",
                            })).Revision;
                        }
                        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.FailedPrecondition)
                        {
                        }
                        break;
                    default:
                        _clock.Advance(TimeSpan.FromMinutes(30 + (60 * step.EndsInHours)));
                        break;
                }
                for (var user = 0; user < Users; user++)
                {
                    var held = await devices[user].AtAsync(revision, _clock.GetUtcNow());
                    var expected = await StreamAsync(User(user));
                    Assert.True(expected.SetEquals(held),
                        $"after step {index} ({string.Join(", ", steps.Take(index + 1))}) {User(user)} holds [{string.Join(",", held.Order())}], the stream [{string.Join(",", expected.Order())}]");
                }
            }
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync();
            }
        }
    }
}
