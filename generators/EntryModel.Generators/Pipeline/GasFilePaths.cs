using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace EntryModel.Generators.Pipeline;

/// <summary>
/// Which <c>AdditionalFiles</c> items a <c>[GasFile]</c> path names, the way MSBuild users write
/// paths: a rooted path names that file; a relative one names the file at that path under the
/// project directory, or else every item whose path ends with it at a folder boundary
/// (<c>entry_64.s</c> names <c>/src/arch/entry_64.s</c>, not <c>/src/my_entry_64.s</c>).
/// Separators compare alike; case is significant (GNU tools treat <c>.S</c> and <c>.s</c> differently).
/// </summary>
internal static class GasFilePaths
{
    /// <summary>
    /// Whether <paramref name="path"/> could be named by <paramref name="reference"/>: same file name.
    /// Cheap, so files no declaration names are never read.
    /// </summary>
    public static bool CouldName(string reference, string path) =>
        string.Equals(FileName(Normalize(reference)), FileName(Normalize(path)), StringComparison.Ordinal);

    /// <summary>The paths among <paramref name="paths"/> that <paramref name="reference"/> names: none, one, or (ambiguous) several.</summary>
    public static ImmutableArray<string> Match(string reference, IEnumerable<string> paths, string? projectDirectory)
    {
        string wanted = Normalize(reference);
        var exact = ImmutableArray.CreateBuilder<string>();
        var suffix = ImmutableArray.CreateBuilder<string>();
        bool rooted = IsRooted(wanted);
        string? underProject = !rooted && !string.IsNullOrEmpty(projectDirectory)
            ? Collapse(Normalize(projectDirectory!).TrimEnd('/') + "/" + wanted)
            : null;
        string trailing = Collapse(wanted);
        foreach (string path in paths)
        {
            string candidate = Collapse(Normalize(path));
            if (rooted ? candidate == trailing : candidate == underProject)
            {
                exact.Add(path);
            }
            else if (!rooted && !trailing.StartsWith("../", StringComparison.Ordinal)
                && (candidate == trailing || candidate.EndsWith("/" + trailing, StringComparison.Ordinal)))
            {
                suffix.Add(path);
            }
        }

        return exact.Count > 0 || rooted ? exact.ToImmutable() : suffix.ToImmutable();
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    private static string FileName(string path) => path.Substring(path.LastIndexOf('/') + 1);

    private static bool IsRooted(string path) => path.StartsWith("/", StringComparison.Ordinal) || (path.Length >= 2 && path[1] == ':');

    /// <summary>Drops <c>.</c> segments and folds <c>..</c> into its parent, so equal paths compare equal.</summary>
    private static string Collapse(string path)
    {
        var segments = new List<string>();
        foreach (string segment in path.Split('/'))
        {
            if (segment == "." || (segment.Length == 0 && segments.Count > 0))
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != ".." && segments[segments.Count - 1].Length > 0)
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return string.Join("/", segments);
    }
}
