using System.Runtime.ExceptionServices;

namespace Switchboard.Runtime.Serialization;

/// <summary>
/// Carries an exception across the wire as (type name, message, stack trace, parameter name). Common BCL types and
/// <see cref="SiloUnavailableException"/> are rebuilt as themselves with the remote stack trace attached; any other
/// type becomes <see cref="RemoteGrainException"/>. Inner exceptions and custom properties are not carried: exception
/// objects are not a data contract. Reading malformed bytes throws <see cref="CodecException"/> only.
/// </summary>
public static class ExceptionCodec
{
    /// <summary>Writes <paramref name="exception"/>.</summary>
    public static void Write(CodecWriter writer, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(exception);
        var (typeName, stackTrace) = exception is RemoteGrainException remote
            ? (remote.OriginalTypeName, remote.RemoteStackTrace)
            : (exception.GetType().FullName ?? exception.GetType().Name, exception.StackTrace);
        writer.WriteString(typeName);
        writer.WriteString(exception.Message);
        writer.WriteString(stackTrace);
        writer.WriteString((exception as ArgumentException)?.ParamName);
    }

    /// <summary>Reads an exception written by <see cref="Write"/>.</summary>
    public static Exception Read(CodecReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var typeName = reader.ReadString() ?? throw new CodecException("Exception type name is null.");
        var message = reader.ReadString() ?? string.Empty;
        var stackTrace = reader.ReadString();
        var paramName = reader.ReadString();
        Exception? rebuilt = typeName switch
        {
            "System.ArgumentNullException" => new ArgumentNullException(paramName, StripParamSuffix(message, paramName)),
            "System.ArgumentOutOfRangeException" => new ArgumentOutOfRangeException(paramName, StripParamSuffix(message, paramName)),
            "System.ArgumentException" => new ArgumentException(StripParamSuffix(message, paramName), paramName),
            "System.InvalidOperationException" => new InvalidOperationException(message),
            "System.NotSupportedException" => new NotSupportedException(message),
            "System.TimeoutException" => new TimeoutException(message),
            "System.Collections.Generic.KeyNotFoundException" => new KeyNotFoundException(message),
            "System.FormatException" => new FormatException(message),
            "System.OperationCanceledException" => new OperationCanceledException(message),
            "System.Threading.Tasks.TaskCanceledException" => new TaskCanceledException(message),
            "Switchboard.Runtime.SiloUnavailableException" => new SiloUnavailableException(message),
            _ => null,
        };

        if (rebuilt is null)
        {
            return new RemoteGrainException(typeName, message, stackTrace);
        }

        return string.IsNullOrEmpty(stackTrace) ? rebuilt : ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, stackTrace);
    }

    // ArgumentException appends " (Parameter 'x')" to Message; rebuilding with the full text would append it twice.
    private static string StripParamSuffix(string message, string? paramName)
    {
        if (paramName is null)
        {
            return message;
        }

        var suffix = $" (Parameter '{paramName}')";
        return message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
