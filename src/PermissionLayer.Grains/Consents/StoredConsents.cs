using PermissionLayer.Core.Consents;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <summary>How a grain turns a consent on record into the compiled consent it evaluates.</summary>
internal static class StoredConsents
{
    /// <summary>
    /// From its stored form when this build wrote it for this very consent; otherwise compiled from its
    /// JSON, and then <paramref name="freshForm"/> is the form to store for next time. A consent that no
    /// longer compiles throws (the caller's activation fails closed).
    /// </summary>
    public static CompiledConsent Compile(string patientId, StoredConsent stored, out string? freshForm)
    {
        freshForm = null;
        if (CompiledConsentForm.Read(stored.CompiledForm) is { } read && read.ConsentId == stored.ConsentId && read.PatientId == patientId)
        {
            return read;
        }
        var compiled = ConsentCompiler.Compile(stored.RawJson);
        freshForm = CompiledConsentForm.Write(compiled);
        return compiled;
    }
}
