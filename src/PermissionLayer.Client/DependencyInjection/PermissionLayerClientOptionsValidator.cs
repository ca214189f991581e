using Microsoft.Extensions.Options;

namespace PermissionLayer.Client;

/// <summary>Names every problem of the configured options, so a misconfigured FHIR server fails at startup.</summary>
internal sealed class PermissionLayerClientOptionsValidator : IValidateOptions<PermissionLayerClientOptions>
{
    public ValidateOptionsResult Validate(string? name, PermissionLayerClientOptions options)
    {
        var problems = PermissionLayerClientOptionsValidation.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
