using EntryModel.Oracles.Tests.Export.Images;

namespace EntryModel.Oracles.Tests.Export;

/// <summary>Deletes the images the export tests (images and cores) share, once they have all run.</summary>
[SetUpFixture]
public sealed class ExportedImagesCleanup
{
    [OneTimeTearDown]
    public void Delete() => ExportedImages.Delete();
}
