namespace Switchboard.Gateway.Edge;

/// <summary>
/// TLS terminated by Kestrel (<c>Gateway:Tls</c>). When <see cref="CertificatePath"/> is set the gateway's listener
/// speaks HTTPS only, so Twilio (or any client) can dial <c>wss://</c> without a proxy. The certificate and its
/// password come from configuration (a mounted file and an environment variable or secret store), never from the repository.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>Path of a PKCS#12 (<c>.pfx</c>) file holding the certificate chain and its private key. Default unset: plain HTTP.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/>; unset for an unprotected file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Whether Kestrel terminates TLS.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
