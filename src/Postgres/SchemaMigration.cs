using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Switchboard.Postgres;

/// <summary>
/// One versioned schema script, embedded in this assembly as <c>Sql/V&lt;version&gt;__&lt;description&gt;.sql</c>.
/// Versions start at 1 and have no gaps, so a database's recorded version says exactly which scripts it has.
/// </summary>
internal sealed partial record SchemaMigration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "Switchboard.Postgres.Sql.";

    /// <summary>The embedded scripts in version order; throws if a version is missing or repeated.</summary>
    public static IReadOnlyList<SchemaMigration> LoadEmbedded() => Load(typeof(SchemaMigration).Assembly);

    internal static IReadOnlyList<SchemaMigration> Load(Assembly assembly)
    {
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(name);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded schema script '{name}' is not named V<version>__<description>.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded schema script '{name}' could not be opened.");
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema scripts must be numbered 1, 2, 3... without gaps or repeats; found version {migrations[i].Version} "
                    + $"({migrations[i].Name}) at position {i + 1}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^V(?<version>[0-9]+)__[A-Za-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();
}
