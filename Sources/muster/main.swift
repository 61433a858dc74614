import ArgumentParser
import AsyncHTTPClient
import MusterApp
print("muster")
