namespace PaduHub.Tests;

/// <summary>The public record-linkage datasets in ../shared/datasets (CI lays shared/ beside the clone).</summary>
static class Datasets
{
    public static string Folder()
    {
        for (var dir = new DirectoryInfo(Repository.Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.Combine(Repository.Root, "..", "shared", "datasets");
    }

    /// <summary>A dataset file; missing data skips a developer's run but fails CI, where shared/ is always there.</summary>
    public static string File(string relative)
    {
        var path = Path.Combine(Folder(), relative);
        if (!System.IO.File.Exists(path))
        {
            if (Environment.GetEnvironmentVariable("CI") is "true")
            {
                Assert.Fail($"the public datasets are missing: {path}");
            }
            Assert.Ignore("the public datasets live in ../shared/datasets");
        }
        return path;
    }
}
