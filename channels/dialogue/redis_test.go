package dialogue_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"clinic/inbox"
)

const enUnavailable = "Sorry, the chat cannot continue right now. You can still ask for a visit with our booking form: " +
	"https://clinic.example/book"

// TestRedisStoppedDuringAChatAndBack: with Redis gone the bot says, in the patient's language, that
// the chat cannot go on and offers the form, and the message is still stored; once Redis is back the
// same client (no restart) answers new turns, saying it lost its place in the conversation.
func TestRedisStoppedDuringAChatAndBack(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	port := freePort(t)
	srv := startRedis(t, port)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	gw := tb.gateway(rdb)
	en := tb.chat(inbox.Chatbot, "web-r")
	en.gw = gw
	ar := tb.chat(inbox.WhatsApp, "351912000555@s.whatsapp.net")
	ar.gw = gw
	en.play(t, []turn{{"hi", []string{enWelcome, enAskExam}}})
	ar.send(t, "مرحبا")

	stopRedis(t, srv)
	en.play(t, []turn{{"1", []string{enUnavailable}}})
	ar.play(t, []turn{{"1", []string{"عذرًا، لا يمكن متابعة المحادثة الآن. يمكنك طلب موعد من خلال نموذج الحجز: " +
		"https://clinic.example/book"}}})
	// A first message while Redis is down is answered in the language it is written in.
	fresh := tb.chat(inbox.Telegram, "5005")
	fresh.gw = gw
	fresh.play(t, []turn{{"hello", []string{enUnavailable}}})
	require.Equal(t, 2, tb.count(t, `SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.address = 'web-r' AND m.direction = 'in'`))

	startRedis(t, port)
	// The state went with the server: the bot says it lost its place and the patient starts again.
	en.play(t, []turn{{"1", []string{enLost, enAskExam}}, {"1", []string{enAskDay}}})
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}

// startRedis runs a throwaway redis-server without persistence on port until the test ends.
func startRedis(t *testing.T, port int) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { stopRedis(t, cmd) })
	rdb := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer rdb.Close()
	require.Eventually(t, func() bool { return rdb.Ping(context.Background()).Err() == nil },
		10*time.Second, 20*time.Millisecond, "redis-server did not start")
	return cmd
}

func stopRedis(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Kill()
	err := cmd.Wait()
	if err != nil && !strings.Contains(err.Error(), "killed") {
		t.Logf("redis-server: %v", err)
	}
}
