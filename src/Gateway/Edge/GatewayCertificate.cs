using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Gateway.Edge;

/// <summary>Loads the certificate named by <see cref="TlsOptions"/>; failures name the key so an operator can fix them.</summary>
internal static class GatewayCertificate
{
    /// <summary>Loads the PKCS#12 file; throws <see cref="InvalidOperationException"/> naming the key when it cannot be used.</summary>
    public static X509Certificate2 Load(TlsOptions options)
    {
        if (TryLoad(options, out var certificate, out var error))
        {
            return certificate;
        }

        throw new InvalidOperationException(error);
    }

    public static bool TryLoad(TlsOptions options, out X509Certificate2 certificate, out string error)
    {
        ArgumentNullException.ThrowIfNull(options);
        certificate = null!;
        var path = options.CertificatePath;
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            error = $"Gateway:Tls:CertificatePath must name an existing PKCS#12 (.pfx) file; got '{path}'.";
            return false;
        }

        X509Certificate2 loaded;
        try
        {
            loaded = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException ex)
        {
            error = $"Gateway:Tls:CertificatePath '{path}' could not be loaded with Gateway:Tls:CertificatePassword: {ex.Message}";
            return false;
        }

        if (!loaded.HasPrivateKey)
        {
            loaded.Dispose();
            error = $"Gateway:Tls:CertificatePath '{path}' holds no private key; the gateway cannot terminate TLS with it.";
            return false;
        }

        certificate = loaded;
        error = string.Empty;
        return true;
    }
}
