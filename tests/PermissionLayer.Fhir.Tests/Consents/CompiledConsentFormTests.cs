using System.Collections;
using CsCheck;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;

namespace PermissionLayer.Fhir.Tests.Consents;

/// <summary>
/// The stored compiled form reads back exactly what the compiler built, and nothing else is ever read
/// from it: another build's form, a damaged one or one with unknown members gives null (compile the JSON).
/// </summary>
public sealed class CompiledConsentFormTests
{
    public static TheoryData<string> Fixtures => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Consents", "Fixtures"), "*.json")
        .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_compiled_fixture_reads_back_equal(string fixture)
    {
        var compiled = ConsentCompiler.Compile(ConsentFixture.Text(fixture));

        var read = CompiledConsentForm.Read(CompiledConsentForm.Write(compiled));

        Assert.NotNull(read);
        AssertSame(compiled, read, "consent");
    }

    [Fact]
    public void Any_compiled_consent_reads_back_equal()
    {
        ConsentGen.Sample(consent => AssertSame(consent, CompiledConsentForm.Read(CompiledConsentForm.Write(consent)), "consent"), iter: 300);
    }

    [Fact]
    public void A_form_of_another_build_is_not_read()
    {
        var form = CompiledConsentForm.Write(ConsentCompiler.Compile(ConsentFixture.Text("consent-example-notOrg")));
        var otherBuild = form.Replace(CompiledConsentForm.Stamp, "00000000000000000000000000000000/00000000000000000000000000000000", StringComparison.Ordinal);

        Assert.NotEqual(form, otherBuild);
        Assert.Null(CompiledConsentForm.Read(otherBuild));
    }

    public static TheoryData<string> Damaged => new()
    {
        "",
        "{",
        "null",
        $$"""{"Stamp":"{{CompiledConsentForm.Stamp}}"}""",
        $$"""{"Stamp":"{{CompiledConsentForm.Stamp}}","Consent":null}""",
        $$"""{"Stamp":"{{CompiledConsentForm.Stamp}}","Consent":""" + """{"Id":"c","Patient":"p","Status":"active","Rule":null,"Root":{"Path":"provision"}}}""",
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void A_damaged_form_is_not_read(string form)
    {
        Assert.Null(CompiledConsentForm.Read(form));
    }

    [Fact]
    public void A_form_with_a_member_this_build_does_not_know_is_not_read()
    {
        var form = CompiledConsentForm.Write(ConsentCompiler.Compile(ConsentFixture.Text("consent-example-Out")));
        var extended = form.Replace("\"Path\":", "\"Unknown\":1,\"Path\":", StringComparison.Ordinal);

        Assert.NotEqual(form, extended);
        Assert.Null(CompiledConsentForm.Read(extended));
    }

    /// <summary>
    /// A member added to the consent model must be added to the stored form too (or the form would read
    /// back without it); this list is here to fail when that happens, pointing at CompiledConsentForm.
    /// </summary>
    [Fact]
    public void The_form_covers_every_member_of_the_consent_model()
    {
        Assert.Equal(["ConsentId", "PatientId", "PolicyRule", "Reference", "Root", "Status"], Members<CompiledConsent>());
        Assert.Equal(
            ["Actions", "Actors", "Children", "Classes", "Codes", "Data", "DataPeriod", "Path", "Period", "Purposes", "SecurityLabels", "Type"],
            Members<ConsentProvision>());
        Assert.Equal(["End", "EndZoneless", "Start", "StartZoneless"], Members<ConsentPeriod>());
        Assert.Equal(["Reference", "Role"], Members<ConsentActor>());
        Assert.Equal(["Meaning", "Reference"], Members<ConsentData>());
        Assert.Equal(["Code", "System"], Members<Token>());
    }

    private static string[] Members<T>() =>
        [.. typeof(T).GetProperties().Where(p => p.Name != "EqualityContract").Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static readonly Gen<string> Text = Gen.OneOfConst("a", "b|c", "Organization/f001", "http://loinc.org", "ünï", "");

    private static readonly Gen<Token> TokenGen =
        Gen.Select(Gen.OneOf(Gen.Const<string?>((string?)null), Text.Select(t => (string?)t)), Text, (system, code) => new Token(system, code));

    private static readonly Gen<DateTimeOffset?> InstantGen = Gen.OneOf(
        Gen.Const<DateTimeOffset?>((DateTimeOffset?)null),
        Gen.Select(Gen.Long[0, 4_000_000_000_000L], Gen.Int[-14, 14], (ms, hours) =>
            (DateTimeOffset?)new DateTimeOffset(DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond, TimeSpan.FromHours(hours))));

    private static readonly Gen<ConsentPeriod?> PeriodGen = Gen.OneOf(
        Gen.Const<ConsentPeriod?>((ConsentPeriod?)null),
        Gen.Select(InstantGen, InstantGen, Gen.Bool, Gen.Bool, (start, end, startZoneless, endZoneless) =>
            (ConsentPeriod?)new ConsentPeriod(start, end) { StartZoneless = startZoneless, EndZoneless = endZoneless }));

    private static readonly Gen<HashSet<string>> SetGen = Text.ArrayUnique[0, 3].Select(values => new HashSet<string>(values, StringComparer.Ordinal));

    private static Gen<ConsentProvision> ProvisionGen(int depth) =>
        from path in Text
        from type in Gen.OneOfConst<ProvisionType?>(null, ProvisionType.Permit, ProvisionType.Deny)
        from period in PeriodGen
        from actors in Gen.Select(Text, Text, (role, reference) => new ConsentActor(role, reference)).Array[0, 2]
        from actions in SetGen
        from purposes in SetGen
        from classes in SetGen
        from codes in TokenGen.Array[0, 3]
        from labels in TokenGen.Array[0, 3]
        from dataPeriod in PeriodGen
        from data in Gen.Select(Text, Text, (meaning, reference) => new ConsentData(meaning, reference)).Array[0, 2]
        from children in depth == 0 ? Gen.Const(Array.Empty<ConsentProvision>()) : ProvisionGen(depth - 1).Array[0, 2]
        select new ConsentProvision
        {
            Path = path, Type = type, Period = period, Actors = actors, Actions = actions, Purposes = purposes, Classes = classes,
            Codes = codes, SecurityLabels = labels, DataPeriod = dataPeriod, Data = data, Children = children,
        };

    private static readonly Gen<CompiledConsent> ConsentGen =
        from id in Text
        from patient in Text
        from status in Gen.OneOfConst("active", "draft", "inactive", "entered-in-error")
        from rule in Gen.OneOfConst<ConsentPolicyRule?>(null, ConsentPolicyRule.OptIn, ConsentPolicyRule.OptOut)
        from root in ProvisionGen(2)
        select new CompiledConsent { ConsentId = id, PatientId = patient, Status = status, PolicyRule = rule, Root = root };

    /// <summary>Member by member: sets as sets (the form stores them sorted), instants with their offsets.</summary>
    private static void AssertSame(object? expected, object? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual}");
                return;
            case string or Enum or bool or int or long:
                Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
                return;
            case DateTimeOffset instant:
                Assert.True(actual is DateTimeOffset other && instant.Equals(other) && instant.Offset == other.Offset, $"{path}: expected {instant:O}, got {actual}");
                return;
            case IReadOnlySet<string> set:
                Assert.True(actual is IReadOnlySet<string> otherSet && set.SetEquals(otherSet), $"{path}: sets differ");
                Assert.True(((HashSet<string>)actual).Comparer == StringComparer.Ordinal, $"{path}: not an ordinal set");
                return;
            case IEnumerable sequence:
                var left = sequence.Cast<object?>().ToList();
                var right = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(left.Count == right.Count, $"{path}: {left.Count} items expected, got {right.Count}");
                for (var i = 0; i < left.Count; i++)
                {
                    AssertSame(left[i], right[i], $"{path}[{i}]");
                }
                return;
        }
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties().Where(p => p.Name != "EqualityContract" && p.GetIndexParameters().Length == 0))
        {
            AssertSame(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }
}
