using EntryModel.Export;
using EntryModel.Kernel;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>
/// Every strategy's image of the default model written once per test run by <see cref="ElfImageWriter"/>
/// into a temporary directory, for the binutils and gdb oracles to read; <see cref="ExportedImagesCleanup"/>
/// deletes it when the run's export tests are done.
/// </summary>
internal static class ExportedImages
{
    private static readonly Lazy<string> Directory = new(Write);

    public static IEnumerable<string> Strategies => DefaultKernel.Images.Select(i => i.Strategy);

    public static KernelImage Image(string strategy) => DefaultKernel.Images.Single(i => i.Strategy == strategy);

    public static string PathOf(KernelImage image) => Path.Combine(Directory.Value, image.Strategy + ".elf");

    public static string PathOf(string strategy) => PathOf(Image(strategy));

    /// <summary>Deletes the directory if it was written.</summary>
    public static void Delete()
    {
        if (Directory.IsValueCreated)
        {
            System.IO.Directory.Delete(Directory.Value, recursive: true);
        }
    }

    private static string Write()
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("entrymodel-images-").FullName;
        foreach (var image in DefaultKernel.Images)
        {
            ElfImageWriter.WriteFile(image, Path.Combine(dir, image.Strategy + ".elf"));
        }

        return dir;
    }
}
