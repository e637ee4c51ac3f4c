using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SocialDomain.IntegrationTests;

public static class TestTls
{
    /// <summary>Makes the host listen over TLS only, with a self-signed certificate made for the test.</summary>
    public static void ListenOverTls(WebApplicationBuilder builder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=platform.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        builder.WebHost.UseUrls("https://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(o => o.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
    }
}
