using System;

namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>A string usable in <see cref="EquatableArray{T}"/>.</summary>
internal readonly record struct StringValue(string Value);
