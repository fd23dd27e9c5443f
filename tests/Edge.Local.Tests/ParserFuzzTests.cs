using System.Text;
using Edge.Local.Query;
using Edge.Readings;

namespace Edge.Local.Tests;

public class ParserFuzzTests
{
    [Fact]
    public void The_query_parser_and_the_reading_codec_reject_every_mutation_with_their_own_error_only_and_accept_every_valid_input()
    {
        var random = new Random(7);
        int validSeen = 0;
        for (int i = 0; i < 100_000; i++)
        {
            var payload = FuzzTests.Mutate(random, i, out bool meantValid);
            try
            {
                if (i % 2 == 0) QueryParser.Parse(payload, 16 * 1024);
                else ReadingJsonCodec.Decode(payload);
            }
            catch (Exception e) when (meantValid)
            {
                // A parser that refuses everything would pass the rest of this test: valid input must get through.
                Assert.Fail($"valid payload {Encoding.UTF8.GetString(payload)} was refused: {e.GetType().Name}: {e.Message}");
            }
            catch (QueryException)
            {
            }
            catch (ReadingFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"payload {Encoding.UTF8.GetString(payload)} threw {e.GetType().Name}: {e.Message}");
            }
            if (meantValid) validSeen++;
        }
        Assert.True(validSeen > 5_000, $"only {validSeen} valid payloads among the mutations");
    }
}
