"""Everything that talks to WeChat: wechatpy / wechatpayv3 adapters, and the sandbox.

Adapters take plain values and return plain values; they never read flask.request.
"""
