using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.TestInfrastructure.Fuzzing;

/// <summary>
/// Seeded, reproducible structure-aware mutations of JSON documents: a value replaced by one of another JSON type, a
/// property removed or duplicated, a value buried under deep nesting, an oversized string, an out-of-range number as
/// text, extra unknown fields. Complements <see cref="ByteMutator"/>, whose outputs are mostly not JSON at all.
/// </summary>
public sealed class JsonMutator(int seed)
{
    public Random Random { get; } = new(seed);

    /// <summary>JSON values of every type, plus strings that break naive code (lone surrogate, NUL, huge integers).</summary>
    public static IReadOnlyList<string> WrongTypedValues { get; } =
    [
        "42", "-1", "0", "1.5e308", "-9223372036854775809", "true", "false", "null", "[]", "{}", "[1,\"2\",null]",
        "{\"a\":{\"b\":[]}}", "\"\"", "\"x\"", "\"-5\"", "\"99999999999999999999999\"", "\"\\ud800\"", "\"\\u0000\"", "\"====\"",
    ];

    public string Mutate(string json)
    {
        try
        {
            return MutateCore(json);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // An earlier round left something JsonNode cannot re-write (a duplicate key, a lone surrogate): keep it as is.
            return json;
        }
    }

    private string MutateCore(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }

        if (root is not JsonObject obj)
        {
            return json;
        }

        var slots = Slots(obj).ToList();
        var (parent, key) = slots[Random.Next(slots.Count)];
        switch (Random.Next(0, 7))
        {
            case 0:
                return Replace(obj, parent, key, WrongTypedValues[Random.Next(WrongTypedValues.Count)]);
            case 1:
                parent.Remove(key);
                return obj.ToJsonString();
            case 2:
                // Duplicate key: JsonNode cannot hold one, so it is written by hand at the object's start.
                var text = obj.ToJsonString();
                var duplicate = $"\"{key}\":{WrongTypedValues[Random.Next(WrongTypedValues.Count)]},";
                return text.Insert(1, duplicate);
            case 3:
                return Nest(obj, parent, key, Random.Next(2) == 0 ? Random.Next(50, 80) : Random.Next(1000, 20000));
            case 4:
                parent[key] = new string((char)('A' + Random.Next(26)), Random.Next(1, 4) * 64 * 1024);
                return obj.ToJsonString();
            case 5:
                parent[key] = Random.Next(2) == 0
                    ? "1" + new string('0', Random.Next(19, 400))
                    : Random.NextInt64().ToString(CultureInfo.InvariantCulture);
                return obj.ToJsonString();
            default:
                return Replace(obj, parent, "x" + Random.Next(1000).ToString(CultureInfo.InvariantCulture), WrongTypedValues[Random.Next(WrongTypedValues.Count)]);
        }
    }

    /// <summary>Every property slot in the document (object and property name), depth first.</summary>
    public static IEnumerable<(JsonObject Parent, string Key)> Slots(JsonObject obj)
    {
        foreach (var (key, value) in obj.ToList())
        {
            yield return (obj, key);
            if (value is JsonObject child)
            {
                foreach (var slot in Slots(child))
                {
                    yield return slot;
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="root"/> as text with <paramref name="parent"/>[<paramref name="key"/>] set to <paramref name="rawJson"/>.
    /// Spliced as text because JsonNode cannot write some of the values under test (a lone surrogate escape).
    /// </summary>
    public static string Replace(JsonObject root, JsonObject parent, string key, string rawJson)
    {
        const string Marker = "\"__replace__\"";
        parent[key] = "__replace__";
        var text = root.ToJsonString();
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), rawJson, text.AsSpan(at + Marker.Length));
    }

    private static string Nest(JsonObject root, JsonObject parent, string key, int depth)
    {
        // Written as text: JsonNode refuses to serialise beyond its own depth limit, and that limit is what is under test.
        const string Marker = "\"__nest__\"";
        parent[key] = "__nest__";
        var text = root.ToJsonString();
        var builder = new StringBuilder(text.Length + (depth * 2));
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        builder.Append(text, 0, at);
        builder.Append('[', depth).Append("\"deep\"").Append(']', depth);
        builder.Append(text, at + Marker.Length, text.Length - at - Marker.Length);
        return builder.ToString();
    }
}
