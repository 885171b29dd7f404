using System.Globalization;

namespace EntryModel.Oracles.Tests.Differential;

/// <summary>
/// The corpus every differential test uses. The seed is fixed so CI is reproducible; set
/// ENTRYMODEL_DIFFERENTIAL_SEED (and optionally ENTRYMODEL_DIFFERENTIAL_COUNT) to explore other corpora.
/// </summary>
public static class DifferentialCorpus
{
    public static int FirstSeed { get; } = FromEnvironment("ENTRYMODEL_DIFFERENTIAL_SEED", 20_160_901);

    /// <summary>Sequences per differential test: thousands, sized to keep the suite well under a minute on 2 cores.</summary>
    public static int Count { get; } = FromEnvironment("ENTRYMODEL_DIFFERENTIAL_COUNT", 8_000);

    private static int FromEnvironment(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
