using System.Collections;
using Hl7.Fhir.Model;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Rejects resources carrying <c>modifierExtension</c> or <c>implicitRules</c> anywhere: both may change
/// what the resource means (e.g. "this membership is revoked"), and a reader that does not know them
/// must not act on the resource (FHIR's own rule for modifiers).
/// </summary>
internal static class ModifierGuard
{
    public static void Check(Resource resource, ResourceScope scope)
    {
        // Segments are kept as (name, index) and turned into a path only on failure: a 100,000-member
        // Group must not allocate a path string per element.
        var trail = new List<(string Name, int Index)> { (resource.TypeName, -1) };
        Walk(resource, trail, scope);
    }

    private static void Walk(Base node, List<(string Name, int Index)> trail, ResourceScope scope)
    {
        foreach (var (name, value) in node.EnumerateElements())
        {
            if (name == "modifierExtension" && value is IList { Count: > 0 } modifiers)
            {
                var url = (modifiers[0] as Extension)?.Url;
                throw scope.Fail(PathOf(trail, $"{name}[0]"), $"'{url}' is a modifier extension this service does not understand");
            }
            if (name == "implicitRules")
            {
                throw scope.Fail(PathOf(trail, name), "is set; resources under implicit rules cannot be interpreted safely");
            }
            if (node is Bundle.EntryComponent && name == "resource")
            {
                continue; // an entry's resource is checked on its own, under its own name
            }
            switch (value)
            {
                case Base child:
                    trail.Add((name, -1));
                    Walk(child, trail, scope);
                    trail.RemoveAt(trail.Count - 1);
                    break;
                case IEnumerable items and not string:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is Base element)
                        {
                            trail.Add((name, index));
                            Walk(element, trail, scope);
                            trail.RemoveAt(trail.Count - 1);
                        }
                        index++;
                    }
                    break;
            }
        }
    }

    private static string PathOf(List<(string Name, int Index)> trail, string last) =>
        string.Join('.', trail.Select(segment => segment.Index < 0 ? segment.Name : $"{segment.Name}[{segment.Index}]").Append(last));
}
