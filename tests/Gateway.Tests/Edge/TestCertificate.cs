using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Gateway.Tests.Edge;

/// <summary>Self-signed server certificates made in the test (never stored in the repository).</summary>
internal static class TestCertificate
{
    public static X509Certificate2 Create(string subject = "CN=switchboard-test")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }

    /// <summary>Writes a password-protected PKCS#12 file to a temp path; the caller deletes it.</summary>
    public static string WritePfx(X509Certificate2 certificate, string password)
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-test-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
