using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// HTTP Basic authentication in front of every dashboard route (pages, assets, APIs). ASP.NET Core ships no Basic
/// handler, and a full authentication scheme for one fixed account would be more code to read than this filter.
/// Credentials are compared in constant time; a refusal is a 401 with a Basic challenge, so a browser asks for them.
/// </summary>
internal sealed class DashboardAuthenticationFilter(DashboardCredentials credentials) : IEndpointFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}");

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans dashboard\", charset=\"UTF-8\"";
        return ValueTask.FromResult<object?>(Results.Unauthorized());
    }

    private bool IsAuthorized(string header)
    {
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var encoded = header[Scheme.Length..].Trim();
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(encoded, buffer, out var written)
            && CryptographicOperations.FixedTimeEquals(buffer.AsSpan(0, written), _expected);
    }
}
