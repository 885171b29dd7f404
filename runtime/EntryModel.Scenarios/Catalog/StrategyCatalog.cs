using EntryModel.Kernel;

namespace EntryModel.Scenarios.Catalog;

/// <summary>The frame strategies of the default model: its images, built at compile time by the generator.</summary>
public static class StrategyCatalog
{
    public static IReadOnlyList<KernelImage> Images => DefaultKernel.Images;

    public static IReadOnlyList<string> Names { get; } = [.. DefaultKernel.Images.Select(i => i.Strategy)];

    public static bool TryGet(string name, out KernelImage image)
    {
        image = Images.FirstOrDefault(i => i.Strategy == name)!;
        return image is not null;
    }
}
