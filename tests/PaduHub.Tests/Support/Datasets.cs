namespace PaduHub.Tests;

/// <summary>The public record-linkage datasets committed in samples/datasets (licences beside each).</summary>
static class Datasets
{
    public static string Folder() => Path.Combine(Repository.Root, "samples", "datasets");

    /// <summary>A dataset file; a missing one fails the test naming the path, since the repository ships them.</summary>
    public static string File(string relative)
    {
        var path = Path.Combine(Folder(), relative);
        if (!System.IO.File.Exists(path))
        {
            Assert.Fail($"the public dataset {relative} is missing: expected it at {path}");
        }
        return path;
    }
}
