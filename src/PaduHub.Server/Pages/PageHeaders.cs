using System.Security.Cryptography;

namespace PaduHub.Server.Pages;

/// <summary>
/// Headers every answer carries (no sniffing of content types, no framing by other sites; answers of the API and the
/// steward pages, which carry personal data, kept out of browser and proxy caches), and on the steward pages a
/// content security policy: scripts and styles only from the hub itself or inline with this request's nonce, forms
/// posted only back to the hub. A name or note that slipped markup past the encoder could still run nothing.
/// </summary>
static class PageHeaders
{
    public const string NonceKey = "padu.csp-nonce";

    public static Task ApplyAsync(HttpContext http, Func<Task> next)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            headers.CacheControl = "no-store";
        }
        if (http.Request.Path.StartsWithSegments("/steward"))
        {
            // Pages of personal data (and a rotated key) stay out of browser and proxy caches.
            headers.CacheControl = "no-store";
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing the page must escape
            http.Items[NonceKey] = nonce;
            headers.ContentSecurityPolicy = $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
                + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
        }
        return next();
    }
}
