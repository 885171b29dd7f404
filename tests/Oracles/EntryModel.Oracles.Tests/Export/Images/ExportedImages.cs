using EntryModel.Export;
using EntryModel.Kernel;

namespace EntryModel.Oracles.Tests.Export.Images;

/// <summary>Every strategy's image of the default model written once by <see cref="ElfImageWriter"/> into a temporary directory, for the binutils and gdb oracles to read.</summary>
internal sealed class ExportedImages
{
    private readonly string dir = Directory.CreateTempSubdirectory("entrymodel-images-").FullName;

    public ExportedImages()
    {
        foreach (var image in DefaultKernel.Images)
        {
            ElfImageWriter.WriteFile(image, PathOf(image));
        }
    }

    public static IEnumerable<string> Strategies => DefaultKernel.Images.Select(i => i.Strategy);

    public static KernelImage Image(string strategy) => DefaultKernel.Images.Single(i => i.Strategy == strategy);

    public string PathOf(KernelImage image) => Path.Combine(dir, image.Strategy + ".elf");

    public string PathOf(string strategy) => PathOf(Image(strategy));

    public void Delete() => Directory.Delete(dir, recursive: true);
}
