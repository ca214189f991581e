using System.Text.Json;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// The raw JSON of a Bundle's entries, parsed only when asked: a Consent is passed on exactly as
/// received, so its text is cut from the Bundle rather than re-serialised from the parsed model.
/// </summary>
internal sealed class BundleJson(Func<string> bundleText) : IDisposable
{
    private JsonDocument? _document;

    public string EntryResource(int index)
    {
        _document ??= JsonDocument.Parse(bundleText());
        return _document.RootElement.GetProperty("entry")[index].GetProperty("resource").GetRawText();
    }

    public void Dispose() => _document?.Dispose();
}
