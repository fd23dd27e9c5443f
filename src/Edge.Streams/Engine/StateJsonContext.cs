using System.Text.Json.Serialization;

namespace Edge.Streams.Engine;

/// <summary>
/// The checkpoint JSON of every rule kind's per-key state (<see cref="RuleEvaluator{TState}"/>), generated at build
/// time: no reflection at run time, so the state serialises the same in a trimmed or Native AOT build. Infinity is a
/// window's min/max before its first value: JSON has no literal for it, so it is written by name.
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Dictionary<string, AbsenceEvaluator.KeyState>), TypeInfoPropertyName = "AbsenceStates")]
[JsonSerializable(typeof(AbsenceEvaluator.KeyState), TypeInfoPropertyName = "AbsenceState")]
[JsonSerializable(typeof(Dictionary<string, StuckEvaluator.KeyState>), TypeInfoPropertyName = "StuckStates")]
[JsonSerializable(typeof(StuckEvaluator.KeyState), TypeInfoPropertyName = "StuckState")]
[JsonSerializable(typeof(Dictionary<string, WindowEvaluator.KeyState>), TypeInfoPropertyName = "WindowStates")]
[JsonSerializable(typeof(WindowEvaluator.KeyState), TypeInfoPropertyName = "WindowState")]
[JsonSerializable(typeof(Dictionary<string, ThresholdEvaluator.KeyState>), TypeInfoPropertyName = "ThresholdStates")]
[JsonSerializable(typeof(ThresholdEvaluator.KeyState), TypeInfoPropertyName = "ThresholdState")]
[JsonSerializable(typeof(Dictionary<string, SequenceEvaluator.KeyState>), TypeInfoPropertyName = "SequenceStates")]
[JsonSerializable(typeof(SequenceEvaluator.KeyState), TypeInfoPropertyName = "SequenceState")]
internal sealed partial class StateJsonContext : JsonSerializerContext;
