using System.Security.Cryptography;

namespace PaduHub.Database;

/// <summary>Passwords the hub makes for itself, and the files only this machine's hub user may read them from.</summary>
public static class Secrets
{
    /// <summary>24 random bytes as URL-safe base64: letters, digits, '-' and '_', safe to put in SQL and connection strings.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    /// <summary>Writes a secret readable and writable by its owner alone.</summary>
    public static void Write(string path, string secret)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temporary, secret + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The secret in a file written by <see cref="Write"/>, or null when there is none.</summary>
    public static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
