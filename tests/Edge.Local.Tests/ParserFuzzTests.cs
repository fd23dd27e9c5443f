using System.Text;
using Edge.Local.Query;
using Edge.Readings;

namespace Edge.Local.Tests;

public class ParserFuzzTests
{
    [Fact]
    public void The_query_parser_and_the_reading_codec_reject_every_mutation_with_their_own_error_only()
    {
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            var payload = FuzzTests.Mutate(random, i, out _);
            try
            {
                if (i % 2 == 0) QueryParser.Parse(payload, 16 * 1024);
                else ReadingJsonCodec.Decode(payload);
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
        }
    }
}
