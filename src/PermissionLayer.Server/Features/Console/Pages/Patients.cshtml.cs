using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>
/// "Who accessed my record": a patient's decisions per day (the last 30 days), the access report page
/// by page, and the exports (FHIR AuditEvent NDJSON, CSV) streamed from the audit API.
/// </summary>
[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme, Roles = CallerRoles.Auditor)]
public sealed class PatientsModel(ConsoleApi api, DecisionLog decisions, TimeProvider time) : ConsolePageModel(api)
{
    public const int ChartDays = 30;

    [BindProperty(SupportsGet = true)]
    public string? Patient { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public IReadOnlyList<PatientAccessEntry> Entries { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public string? ChartSvg { get; private set; }
    public DateOnly ChartFirstDay { get; private set; }
    public IReadOnlyList<DailyOutcomeCount> Counts { get; private set; } = [];

    public async Task OnGetAsync()
    {
        if (string.IsNullOrEmpty(Patient))
        {
            return;
        }
        var page = await PageAsync(o => Api.Audit.PatientAccessReport(
            new PatientAccessReportRequest { Patient = Patient, Cursor = Cursor ?? "", Limit = PageSize + 1 }, o));
        if (page is null)
        {
            return; // the API refused (e.g. not a FHIR id): Error says why, and no chart is drawn for it
        }
        Entries = page.Take(PageSize).ToList();
        NextCursor = page.Count > PageSize ? Entries[^1].Cursor : null;
        if (FhirReference.IsId(Patient))
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            ChartFirstDay = today.AddDays(1 - ChartDays);
            var from = new DateTimeOffset(ChartFirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            Counts = await decisions.CountByDayAsync(Patient, from, from.AddDays(ChartDays), HttpContext.RequestAborted);
            ChartSvg = DailyChart.Svg(Counts, ChartFirstDay, ChartDays);
        }
    }

    /// <summary>Every access of the patient as FHIR R4 AuditEvents, one per line, streamed as the API sends them.</summary>
    public async Task<IActionResult> OnGetNdjsonAsync()
    {
        return await ExportAsync("application/fhir+ndjson", "ndjson", async (patient, write) =>
        {
            using var call = Api.Audit.ExportAuditEvents(new DecisionQuery { Patient = patient }, Caller);
            await foreach (var line in call.ResponseStream.ReadAllAsync(HttpContext.RequestAborted))
            {
                await write(line.Json + "\n");
            }
        });
    }

    /// <summary>The access report as CSV, streamed.</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        return await ExportAsync("text/csv; charset=utf-8", "csv", async (patient, write) =>
        {
            await write(AccessCsv.Header + "\r\n");
            using var call = Api.Audit.PatientAccessReport(new PatientAccessReportRequest { Patient = patient }, Caller);
            await foreach (var entry in call.ResponseStream.ReadAllAsync(HttpContext.RequestAborted))
            {
                await write(AccessCsv.Row(entry) + "\r\n");
            }
        });
    }

    private async Task<IActionResult> ExportAsync(string contentType, string extension, Func<string, Func<string, Task>, Task> export)
    {
        if (string.IsNullOrEmpty(Patient) || !FhirReference.IsId(Patient))
        {
            return BadRequest("patient: give a FHIR id (without \"Patient/\")");
        }
        Response.ContentType = contentType;
        Response.Headers.ContentDisposition = $"attachment; filename=\"patient-{Patient}-accesses.{extension}\"";
        await using var writer = new StreamWriter(Response.Body, new System.Text.UTF8Encoding(false));
        try
        {
            await export(Patient, async text => await writer.WriteAsync(text));
        }
        catch (RpcException e) when (!Response.HasStarted)
        {
            return StatusCode(StatusCodes.Status502BadGateway, $"{e.StatusCode}: {e.Status.Detail}");
        }
        await writer.FlushAsync();
        return new EmptyResult();
    }
}
